package org.jpeer.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
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
  void aSecureContextIsAnEnrolmentId() {
    assertNull(Options.parse(new String[] {"--name", "cc", "--conns", "1"}).secureContext());
    assertEquals("jim", Options.parse(new String[] {"--name", "cc", "--conns", "1", "--secure-context", "jim"})
        .secureContext());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--name", "cc", "--conns", "1", "--secure-context", "a\"b"}));
    assertEquals("option --secure-context: 'a\"b' is not an enrolment id (letters, digits, _)", e.getMessage());
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

  @Test
  void eventConsumersDefaultToNoneAndTakeTheHubAddressAsPeerAddressesWritesIt() {
    Options none = Options.parse(new String[] {"--name", "cc", "--conns", "1"});
    assertEquals(0, none.eventConsumers());
    assertNull(none.events());
    Options o = Options.parse(new String[] {"--name", "cc", "--conns", "1", "--events", "127.0.0.1:7053",
        "--event-consumers", "10"});
    assertEquals(10, o.eventConsumers());
    assertEquals(InetSocketAddress.createUnresolved("127.0.0.1", 7053), o.events());
    assertEquals("::1", Options.parse(new String[] {"--name", "cc", "--conns", "1", "--events", "[::1]:7053"})
        .events().getHostString());
    // the address alone is allowed, so that a script can always pass it
    assertEquals(0, Options.parse(new String[] {"--name", "cc", "--conns", "1", "--events", "h:1"}).eventConsumers());
  }

  @Test
  void eventConsumersWithoutAnAddressOrABadAddressAreExplained() {
    IllegalArgumentException noHub = assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--name", "cc", "--conns", "1", "--event-consumers", "2"}));
    assertEquals("option --event-consumers needs --events HOST:PORT, the peer's event hub", noHub.getMessage());
    for (String bad : new String[] {"7053", "host:", ":7053", "host:http", "host:0", "host:70530"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Options.parse(new String[] {"--name", "cc", "--conns", "1", "--events", bad}), bad);
      assertEquals("option --events: '" + bad + "' is not a host:port address", e.getMessage());
    }
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--name", "cc", "--conns", "1", "--events", "h:1", "--event-consumers", "-1"}));
    assertEquals("option --event-consumers: must be 0 or more", negative.getMessage());
  }
}
