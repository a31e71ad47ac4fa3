package org.jpeer.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void severalUrlsAreTakenInTurnAndTheFirstIsWhereBlocksAreRead() {
    Options o = Options.parse(new String[] {"--name", "cc", "--conns", "8",
        "--url", "http://127.0.0.1:1/,http://127.0.0.1:2,http://127.0.0.1:3"});
    assertEquals(URI.create("http://127.0.0.1:1"), o.url());
    assertEquals(URI.create("http://127.0.0.1:2"), o.url(1));
    assertEquals(URI.create("http://127.0.0.1:1"), o.url(3));
    assertEquals(URI.create("http://127.0.0.1:3"), o.url(5));
  }

  @Test
  void retryDelayDefaultsToTwoMillisecondsAndZeroMeansAtOnce() {
    assertEquals(2, Options.parse(new String[] {"--name", "cc", "--conns", "1"}).retryDelayMillis());
    assertEquals(0, Options.parse(new String[] {"--name", "cc", "--conns", "1", "--retry-delay", "0"})
        .retryDelayMillis());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--name", "cc", "--conns", "1", "--retry-delay", "-1"}));
    assertEquals("option --retry-delay: must be 0 or more milliseconds", e.getMessage());
  }

  @Test
  void aBadUrlListIsExplained() {
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--name", "cc", "--conns", "1", "--url", "http://127.0.0.1:1,"}));
    assertEquals("option --url: an empty address in the list", empty.getMessage());
    IllegalArgumentException notHttp = assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--name", "cc", "--conns", "1", "--url", "127.0.0.1:7050"}));
    assertEquals("option --url: '127.0.0.1:7050' is not an http://host:port address", notHttp.getMessage());
  }
}
