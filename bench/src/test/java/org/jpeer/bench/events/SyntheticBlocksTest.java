package org.jpeer.bench.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.Test;

class SyntheticBlocksTest {
  private final SyntheticBlocks blocks = new SyntheticBlocks(SyntheticBlocks.chaincodeName(1), 0xabcdef);

  @Test
  void aTxidSpellsItsBlockAndPlaceAndOnlyThisRunsTxidsCount() {
    String txid = blocks.txid(1234, 56);
    assertEquals(36, txid.length());
    assertEquals(1234, blocks.blockOf(txid));
    assertEquals(56, blocks.indexOf(txid));
    assertEquals(-1, new SyntheticBlocks(blocks.chaincode(), 1).blockOf(txid));
    assertEquals(-1, blocks.blockOf("0c6a2ec5-1b23-4a6f-9e0e-2f3d4c5b6a79"));
  }

  @Test
  void aBlockIsInvokesOfRealisticSizeEachWithItsChaincodeEvent() {
    SyntheticBlocks.Block b = blocks.block(7, 100);
    assertEquals(100, b.transactions().size());
    assertEquals(100, b.events().size());
    Transaction tx = b.transactions().get(99);
    assertEquals(Transaction.Type.CHAINCODE_INVOKE, tx.getType());
    assertEquals(tx.getTxid(), b.events().get(99).getTxID());
    assertEquals(7, blocks.blockOf(tx.getTxid()));
    assertEquals(128, blocks.chaincode().length());
    assertTrue(blocks.payloadBytes() >= 140 && blocks.payloadBytes() <= 170, "payload " + blocks.payloadBytes());
  }
}
