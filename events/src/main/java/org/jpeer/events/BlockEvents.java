package org.jpeer.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jpeer.ledger.Blocks;
import org.jpeer.protos.Block;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.Event;
import org.jpeer.protos.Rejection;

/**
 * Every event one block gives, in the order consumers receive them: its rejections (execution order),
 * the block, then the chaincode events of its transactions. The same for a block published live and
 * for one rebuilt from the ledger, which is what makes replay gap- and duplicate-free.
 */
record BlockEvents(long number, List<Event> events, List<List<String>> keys) {

  BlockEvents {
    events = List.copyOf(events);
    keys = List.copyOf(keys);
  }

  /** Computed once here rather than by every consumer for every event: the interest keys each event matches. */
  BlockEvents(long number, List<Event> events) {
    this(number, events, events.stream().map(Interests::keysOf).toList());
  }

  /** A number the hub skips: the block is not stored (state transfer left a gap not yet filled). */
  static BlockEvents missing(long number) {
    return new BlockEvents(number, List.of());
  }

  /**
   * @param rejections present when this peer executed the block; then its chaincode events are taken
   *     from {@code nonHashData.chaincodeEvents} (those with a chaincodeID), as the original does on commit
   */
  static BlockEvents of(long number, Block block, Optional<List<Rejection>> rejections) {
    List<Event> events = new ArrayList<>();
    rejections.ifPresent(list -> list.forEach(r -> events.add(Event.newBuilder().setRejection(r).build())));
    events.add(Event.newBuilder().setBlock(Blocks.withoutCodePackages(block)).build());
    if (rejections.isPresent()) {
      for (ChaincodeEvent e : block.getNonHashData().getChaincodeEventsList()) {
        if (!e.getChaincodeID().isEmpty()) {
          events.add(Event.newBuilder().setChaincodeEvent(e).build());
        }
      }
    }
    return new BlockEvents(number, events);
  }
}
