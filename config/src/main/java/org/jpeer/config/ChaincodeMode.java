package org.jpeer.config;

/** {@code chaincode.mode}: the peer launches chaincode ({@code net}) or the user runs it ({@code dev}). */
public enum ChaincodeMode {
  NET,
  DEV
}
