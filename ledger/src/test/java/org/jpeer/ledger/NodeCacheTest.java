package org.jpeer.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.jpeer.crypto.Hashes;
import org.junit.jupiter.api.Test;

/** The cache's accounting: what it admits, when it is full, when a miss means "no such node". */
class NodeCacheTest {
  private static final int GROUPING = 5;
  // the cost the cache charges per node, as it estimates it
  private static final long NODE = 16 + GROUPING * (8L + 16 + Hashes.LENGTH);

  private static byte[][] node() {
    return new byte[GROUPING][];
  }

  @Test
  void admitsNodesUntilItsLimitThenIsNoLongerComplete() {
    NodeCache cache = new NodeCache(new int[] {1, 5}, GROUPING, 2 * NODE);
    cache.loaded(true);
    assertThat(cache.complete()).isTrue();
    byte[][] a = node();
    cache.put(1, 1, a);
    assertThat(cache.full()).isFalse();
    cache.put(1, 1, node()); // a replacement costs nothing more
    assertThat(cache.full()).isFalse();
    cache.put(1, 2, node());
    assertThat(cache.full()).isTrue();
    assertThat(cache.complete()).isTrue();
    cache.put(0, 1, node()); // no room: the cache no longer holds every node
    assertThat(cache.get(0, 1)).isNull();
    assertThat(cache.complete()).isFalse();

    cache.remove(1, 2);
    assertThat(cache.full()).isFalse();
    cache.remove(1, 2); // removing an absent node frees nothing
    cache.put(0, 1, a);
    assertThat(cache.get(0, 1)).isSameAs(a);
    assertThat(cache.full()).isTrue();

    cache.clear();
    assertThat(cache.get(1, 1)).isNull();
    assertThat(cache.full()).isFalse();
    assertThat(cache.complete()).isFalse();
  }

  @Test
  void aCacheOfZeroBytesHoldsNothingAndIsNeverComplete() {
    NodeCache off = new NodeCache(new int[] {1, 5}, GROUPING, 0);
    off.put(1, 1, node());
    assertThat(off.get(1, 1)).isNull();
    off.loaded(true);
    assertThat(off.complete()).isFalse();
    assertThat(off.full()).isTrue();
  }

  @Test
  void loadedWithSomeNodesLeftOutIsNotComplete() {
    NodeCache cache = new NodeCache(new int[] {1}, GROUPING, NODE * 10);
    cache.loaded(false);
    assertThat(cache.complete()).isFalse();
  }
}
