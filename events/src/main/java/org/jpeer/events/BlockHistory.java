package org.jpeer.events;

import java.util.List;
import java.util.Optional;
import org.jpeer.protos.Block;
import org.jpeer.protos.Rejection;

/** The committed chain as the hub reads it to replay blocks and to serve consumers behind its buffer. */
public interface BlockHistory {

  /** Number of blocks, the genesis block included. */
  long height();

  Optional<Block> block(long number);

  /**
   * The rejections of block {@code number} in execution order, when this peer executed it; empty when
   * it did not (a block received by state transfer), which means: no chaincode or rejection events.
   */
  Optional<List<Rejection>> rejections(long number);
}
