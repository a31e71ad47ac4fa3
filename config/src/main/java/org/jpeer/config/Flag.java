package org.jpeer.config;

/**
 * A configuration value given on the command line; it beats the environment and the files.
 *
 * @param key the configuration key it sets, e.g. {@code chaincode.mode}
 * @param value the value
 * @param flagName the flag as the user typed it, for error messages, e.g. {@code --peer-chaincodedev}
 */
public record Flag(String key, String value, String flagName) {}
