package org.jpeer.ledger;

/** Where a committed transaction lives: its block and its position in that block. */
public record TxLocation(long blockNumber, int index) {}
