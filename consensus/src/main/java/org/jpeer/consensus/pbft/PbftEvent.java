package org.jpeer.consensus.pbft;

import java.util.Set;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.pbft.PbftMessage;
import org.jpeer.protos.pbft.Request;

/** What can happen to a replica: the only input of {@link PbftCore#step}. */
public sealed interface PbftEvent {

  /** The replica's first event, once its restored state is loaded. */
  record Start() implements PbftEvent {}

  /** A client request accepted by this replica (its {@code replica_id} is ours). */
  record LocalRequest(Request request) implements PbftEvent {}

  /** A request broadcast by another replica. */
  record RequestFrom(int sender, Request request) implements PbftEvent {}

  /** A protocol message from another replica, identified by the stream it came on. */
  record MessageFrom(int sender, PbftMessage message) implements PbftEvent {}

  /** A timer started by a {@link PbftAction.StartTimer} with this generation expired. */
  record TimerExpired(TimerKind kind, long generation) implements PbftEvent {}

  /** The batch of sequence number {@code seqNo} is committed; the chain now has {@code info}. */
  record Executed(long seqNo, BlockchainInfo info) implements PbftEvent {}

  /**
   * The state transfer to {@code seqNo} ended: {@code reached} is the chain's info when it got
   * there, null when it failed. {@code executed} are outstanding requests now found in the chain.
   */
  record StateUpdated(long seqNo, BlockchainInfo reached, Set<RequestKey> executed) implements PbftEvent {}

  /** A stream to replica {@code replica} was (re)established. */
  record Connected(int replica) implements PbftEvent {}
}
