package org.jpeer.peer.network;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link NetworkStats}. */
final class Counters {
  final LongAdder malformed = new LongAdder();
  final LongAdder unexpected = new LongAdder();
  final LongAdder consensusBeforeHello = new LongAdder();
  final LongAdder outboundDropped = new LongAdder();
  final LongAdder duplicatesRefused = new LongAdder();
  final LongAdder staleSyncReplies = new LongAdder();

  NetworkStats snapshot() {
    return new NetworkStats(malformed.sum(), unexpected.sum(), consensusBeforeHello.sum(), outboundDropped.sum(),
        duplicatesRefused.sum(), staleSyncReplies.sum());
  }
}
