package org.jpeer.consensus.pbft;

/**
 * How VIEW-CHANGE messages are signed and checked, the only PBFT messages the original signs
 * (reference §5.16), also inside a NEW-VIEW's vset. Both work on the encoded VIEW-CHANGE with an
 * empty signature field. Pure computation, no I/O: a key lookup must not block the event loop.
 */
public interface ViewChangeSignatures {
  /** Security off, as the original: the "signature" is the message itself, and every one is accepted. */
  ViewChangeSignatures UNSIGNED = new ViewChangeSignatures() {
    @Override
    public byte[] sign(byte[] unsigned) {
      return unsigned.clone();
    }

    @Override
    public boolean verify(int replica, byte[] unsigned, byte[] signature) {
      return true;
    }
  };

  byte[] sign(byte[] unsigned);

  /** Whether {@code signature} over {@code unsigned} is replica {@code replica}'s. */
  boolean verify(int replica, byte[] unsigned, byte[] signature);
}
