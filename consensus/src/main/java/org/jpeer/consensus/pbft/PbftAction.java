package org.jpeer.consensus.pbft;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.pbft.BatchMessage;
import org.jpeer.protos.pbft.Request;

/** What a replica asks its loop to do: the only output of {@link PbftCore#step}. Carried out in order. */
public sealed interface PbftAction {

  /** Send {@code message} (the payload of a CONSENSUS message) to each replica in {@code to}. */
  record Send(List<Integer> to, BatchMessage message) implements PbftAction {}

  /** Execute and commit these requests as the block of {@code seqNo}; report {@link PbftEvent.Executed}. */
  record Execute(long seqNo, List<Request> requests, byte[] metadata) implements PbftAction {}

  /** (Re)start a timer; an earlier generation of the same kind is void. */
  record StartTimer(TimerKind kind, Duration after, long generation) implements PbftAction {}

  record StopTimer(TimerKind kind) implements PbftAction {}

  /**
   * Write these records atomically and durably before anything after it in the same step happens.
   * Keys are relative to the consensus prefix.
   */
  record Persist(Map<String, byte[]> puts, Set<String> deletes) implements PbftAction {}

  /** Bring the ledger to {@code target} from these replicas; report {@link PbftEvent.StateUpdated}. */
  record TransferState(long seqNo, BlockchainInfo target, List<Integer> replicas) implements PbftAction {}

  /** Queries on committed state are allowed ({@code true}) or refused while the state is replaced. */
  record StateValidity(boolean valid) implements PbftAction {}
}
