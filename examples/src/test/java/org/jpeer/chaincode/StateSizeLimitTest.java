package org.jpeer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.jpeer.shim.Chaincode;
import org.jpeer.shim.ChaincodeStub;
import org.jpeer.shim.StateRange;
import org.jpeer.testkit.ChaincodeHarness;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code peer.maxMessageSize} on the chaincode's side of the stream (here 256 KiB, so that the sizes
 * stay small): a value that could not come back in one message is refused when the chaincode writes
 * it, and range pages are cut by bytes so that each fits one message.
 */
class StateSizeLimitTest {
  @RegisterExtension final TestKit kit = new TestKit();

  private static final int LIMIT = 256 * 1024;

  /** Writes values of the size it is asked for, built in the chaincode; counts a range's entries. */
  static final class Grower implements Chaincode {
    @Override
    public byte[] init(ChaincodeStub stub, String function, List<String> args) {
      return null;
    }

    @Override
    public byte[] invoke(ChaincodeStub stub, String function, List<String> args) {
      int size = Integer.parseInt(args.get(1));
      stub.putState(args.get(0), new byte[size]);
      return null;
    }

    @Override
    public byte[] query(ChaincodeStub stub, String function, List<String> args) throws Exception {
      int n = 0;
      try (StateRange range = stub.rangeQuery("", "")) {
        while (range.hasNext()) {
          range.next();
          n++;
        }
      }
      return Integer.toString(n).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void aValueTooLargeToComeBackIsRefusedAndRangePagesFitOneMessage() throws Exception {
    ChaincodeHarness peer = kit.own(ChaincodeHarness.start(kit.dir(), o -> o.withMode(ChaincodeOptions.Mode.DEV)
        .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30))
        .withMaxMessageBytes(LIMIT)));
    peer.runInProcess("grower", new Grower());
    peer.deploy("grower", "init");
    int most = (LIMIT - 64 * 1024) / 2; // 98,304 bytes with the key
    assertThatThrownBy(() -> peer.invoke("grower", "put", "big", Integer.toString(most)))
        .isInstanceOf(ChaincodeHarness.Rejected.class)
        .hasMessageContaining("The key and value are 98307 bytes; at most 98304 can be stored (peer.maxMessageSize=262144)");
    for (int i = 0; i < 5; i++) {
      peer.invoke("grower", "put", "k" + i, Integer.toString(90_000));
    }
    // a page of 100 entries would be 450 kB, above the limit: the pages are cut at half of it
    assertThat(peer.query("grower", "count")).isEqualTo("5");
  }
}
