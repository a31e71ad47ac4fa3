package org.jpeer.events;

/** The hub cannot take another subscription (too many open, or shutting down); the message says which. */
public final class SubscribeRefused extends Exception {
  private static final long serialVersionUID = 1L;

  SubscribeRefused(String message) {
    super(message);
  }
}
