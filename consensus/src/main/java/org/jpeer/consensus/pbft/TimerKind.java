package org.jpeer.consensus.pbft;

/** The timers of one replica; each runs at most once at a time. */
public enum TimerKind {
  /** Primary: cut the batch being filled. */
  BATCH,
  /** Progress while work is outstanding, and the wait for a NEW-VIEW (one timer, as in the original). */
  REQUEST,
  /** Re-send our VIEW-CHANGE until a quorum forms. */
  RESEND_VIEW_CHANGE,
  /** Keep-alive null requests ({@code timeout.nullrequest}). */
  NULL_REQUEST,
  /** jpeer: help lagging replicas catch up, retry fetches and state transfers. */
  RETRANSMIT
}
