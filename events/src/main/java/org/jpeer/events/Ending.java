package org.jpeer.events;

/** Why a subscription ended, with the message its consumer is given. */
public record Ending(Reason reason, String message) {

  public enum Reason {
    /** The consumer ended its side of the stream. */
    CONSUMER_DONE,
    /** The consumer fell behind by more than the buffer allows ({@code peer.validator.events.*}). */
    FELL_BEHIND,
    /** The consumer sent something a consumer may not send. */
    BAD_MESSAGE,
    /** The peer is shutting down. */
    HUB_CLOSED
  }
}
