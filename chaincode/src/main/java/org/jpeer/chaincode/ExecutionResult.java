package org.jpeer.chaincode;

import org.jpeer.protos.ChaincodeEvent;

/** The outcome of a successful transaction: its result and the event it emitted, or {@code null}. */
public record ExecutionResult(byte[] result, ChaincodeEvent event) {}
