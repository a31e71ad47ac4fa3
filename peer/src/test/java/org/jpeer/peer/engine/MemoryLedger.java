package org.jpeer.peer.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jpeer.ledger.Ledger;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.StateIterator;
import org.jpeer.ledger.StateReader;
import org.jpeer.ledger.TxFailure;
import org.jpeer.ledger.TxLocation;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.NonHashData;
import org.jpeer.protos.Transaction;

/**
 * Stand-in for the RocksDB ledger in the engine's unit tests (the real one is exercised by the
 * end-to-end tests): keeps blocks, state and failures in memory, with the same batch semantics.
 */
final class MemoryLedger implements Ledger {

  final List<Block> blocks = new CopyOnWriteArrayList<>(List.of(Block.getDefaultInstance()));
  final Map<String, byte[]> state = new ConcurrentHashMap<>();
  final Map<String, TxFailure> failures = new ConcurrentHashMap<>();
  private boolean batchOpen;

  private static String k(String cc, String key) {
    return cc + "\u0000" + key;
  }

  @Override
  public BlockchainInfo blockchainInfo() {
    return BlockchainInfo.newBuilder().setHeight(height()).build();
  }

  @Override
  public long height() {
    return blocks.size();
  }

  @Override
  public Optional<Block> block(long number) {
    return number < blocks.size() ? Optional.of(blocks.get((int) number)) : Optional.empty();
  }

  @Override
  public Optional<Transaction> transaction(String txid) {
    return blocks.stream().flatMap(b -> b.getTransactionsList().stream())
        .filter(t -> t.getTxid().equals(txid)).findFirst();
  }

  @Override
  public Optional<TxLocation> transactionLocation(String txid) {
    return Optional.empty();
  }

  @Override
  public Optional<TxFailure> failure(String txid) {
    return Optional.ofNullable(failures.get(txid));
  }

  @Override
  public StateReader committedState() {
    return new StateReader() {
      @Override
      public byte[] get(String chaincodeId, String key) {
        return state.get(k(chaincodeId, key));
      }

      @Override
      public StateIterator range(String chaincodeId, String startKey, String endKey) {
        throw new IllegalStateException("range is not used by these tests");
      }
    };
  }

  @Override
  public synchronized LedgerBatch beginBatch() {
    if (batchOpen) {
      throw new IllegalStateException("a batch is already open");
    }
    batchOpen = true;
    Map<String, byte[]> batchWrites = new HashMap<>();
    return new LedgerBatch() {
      boolean done;

      @Override
      public TxState beginTx(String txid) {
        Map<String, byte[]> txWrites = new HashMap<>();
        return new TxState() {
          @Override
          public String txid() {
            return txid;
          }

          @Override
          public byte[] get(String cc, String key) {
            String kk = k(cc, key);
            if (txWrites.containsKey(kk)) {
              return txWrites.get(kk);
            }
            if (batchWrites.containsKey(kk)) {
              return batchWrites.get(kk);
            }
            return state.get(kk);
          }

          @Override
          public StateIterator range(String cc, String s, String e) {
            throw new IllegalStateException("range is not used by these tests");
          }

          @Override
          public void put(String cc, String key, byte[] value) {
            txWrites.put(k(cc, key), value);
          }

          @Override
          public void delete(String cc, String key) {
            txWrites.put(k(cc, key), null);
          }

          @Override
          public void commit() {
            batchWrites.putAll(txWrites);
          }

          @Override
          public void discard() {
            txWrites.clear();
          }
        };
      }

      @Override
      public byte[] previewStateHash() {
        return new byte[0];
      }

      @Override
      public Block commit(List<Transaction> txs, byte[] metadata, List<ChaincodeEvent> events,
          List<TxFailure> failed) {
        batchWrites.forEach((key, v) -> {
          if (v == null) {
            state.remove(key);
          } else {
            state.put(key, v);
          }
        });
        failed.forEach(f -> failures.put(f.txid(), f));
        Block b = Block.newBuilder().addAllTransactions(txs)
            .setNonHashData(NonHashData.newBuilder().addAllChaincodeEvents(new ArrayList<>(events))).build();
        blocks.add(b);
        done = true;
        close();
        return b;
      }

      @Override
      public void rollback() {
        batchWrites.clear();
      }

      @Override
      public void close() {
        synchronized (MemoryLedger.this) {
          batchOpen = false;
        }
      }
    };
  }

  @Override
  public void close() {}
}
