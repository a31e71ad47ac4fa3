package org.jpeer.membersrvc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A refused request, with the original's text where it has one. The original answers every refusal
 * with gRPC code UNKNOWN and its text, which its clients print; jpeer does the same, except for
 * malformed requests (INVALID_ARGUMENT) and throttled enrolments (RESOURCE_EXHAUSTED).
 */
final class CaError {
  private CaError() {}

  static StatusRuntimeException refused(String text) {
    return Status.UNKNOWN.withDescription(text).asRuntimeException();
  }

  static StatusRuntimeException malformed(String text) {
    return Status.INVALID_ARGUMENT.withDescription(text).asRuntimeException();
  }

  static StatusRuntimeException throttled(String text) {
    return Status.RESOURCE_EXHAUSTED.withDescription(text).asRuntimeException();
  }

  static StatusRuntimeException unimplemented(String text) {
    return Status.UNIMPLEMENTED.withDescription(text).asRuntimeException();
  }
}
