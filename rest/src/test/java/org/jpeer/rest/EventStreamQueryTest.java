package org.jpeer.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.UrlEncoded;
import org.jpeer.protos.EventType;
import org.junit.jupiter.api.Test;

/** How {@code GET /events} reads its query and {@code Last-Event-ID}, and what it says about bad ones. */
class EventStreamQueryTest {

  private static EventStreamHandler.Query parse(String query, String lastEventId) {
    Fields fields = new Fields();
    UrlEncoded.decodeUtf8To(query, fields);
    return EventStreamHandler.parse(fields, lastEventId);
  }

  private static String error(String query, String lastEventId) {
    try {
      parse(query, lastEventId);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    throw new AssertionError("no error for " + query);
  }

  @Test
  void typesChaincodeAndFrom() {
    EventStreamHandler.Query q = parse("types=block,chaincode&chaincodeID=cc&eventName=e&from=7", null);
    assertThat(q.interests()).extracting(i -> i.getEventType()).containsExactly(EventType.BLOCK, EventType.CHAINCODE);
    assertThat(q.interests().get(1).getChaincodeRegInfo().getChaincodeID()).isEqualTo("cc");
    assertThat(q.interests().get(1).getChaincodeRegInfo().getEventName()).isEqualTo("e");
    assertThat(q.from()).isEqualTo(OptionalLong.of(7));
    assertThat(parse("", null).interests()).extracting(i -> i.getEventType())
        .containsExactly(EventType.BLOCK, EventType.REJECTION);
    assertThat(parse("chaincodeID=cc", null).interests()).hasSize(3);
  }

  @Test
  void aReconnectResumesRightAfterTheLastEventSeen() {
    EventStreamHandler.Query q = parse("types=block", "12.3");
    assertThat(q.from()).isEqualTo(OptionalLong.of(12));
    assertThat(q.skip()).isEqualTo(4);
    assertThat(parse("types=block&from=2", "12.3").from()).as("from wins").isEqualTo(OptionalLong.of(2));
  }

  @Test
  void badQueriesGetAPreciseMessage() {
    assertThat(error("types=block,blocks", null))
        .isEqualTo("Unknown event type \"blocks\" in types: use block, chaincode and rejection, separated by commas");
    assertThat(error("types=chaincode", null)).isEqualTo("types=chaincode needs chaincodeID=<the chaincode's name>");
    assertThat(error("types=block&chaincodeID=cc", null)).isEqualTo("chaincodeID is given but types does not include chaincode");
    assertThat(error("from=-1", null)).isEqualTo("from must be a block number (0 or above), got \"-1\"");
    assertThat(error("from=1&from=2", null)).isEqualTo("Give from once");
    assertThat(error("types=block", "12")).isEqualTo("Last-Event-ID must be <block>.<index> as sent in id:, got \"12\"");
    assertThatThrownBy(() -> parse("types=" + "x".repeat(100), null)).hasMessageContaining("…");
  }
}
