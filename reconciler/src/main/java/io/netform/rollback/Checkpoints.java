package io.netform.rollback;

import io.netform.kernel.StateDirectory;
import io.netform.model.ObservedHost;
import io.netform.snapshot.Snapshot;
import io.netform.snapshot.SnapshotException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

/**
 * The pending checkpoint of a host, in its state directory: the record ({@code checkpoint.json})
 * and what netform owned before the apply ({@code checkpoint-host.json}). The snapshot is written
 * first and removed last, so a record always has its snapshot.
 */
public final class Checkpoints {

  /** A checkpoint file that netform cannot read: never taken for "nothing pending". */
  public static final class UnreadableException extends RuntimeException {
    UnreadableException(String message) {
      super(message);
    }
  }

  private final StateDirectory state;

  public Checkpoints(StateDirectory state) {
    this.state = state;
  }

  /** The apply waiting for confirmation, if any. */
  public Optional<Checkpoint> pending() {
    if (Files.notExists(state.checkpoint(), StateDirectory.NO_FOLLOW)) {
      return Optional.empty(); // the agent asks at every reconcile: a stat, not an exception thrown
    }
    String text;
    try {
      text = new String(state.read(state.checkpoint()), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw state.failure("read", state.checkpoint(), e);
    }
    StringBuilder why = new StringBuilder();
    Optional<Checkpoint> c = Checkpoint.parse(text, why);
    if (c.isEmpty()) {
      throw new UnreadableException(state.checkpoint() + " cannot be read (" + why + "): an apply may be waiting for confirmation; "
          + "look at it, then remove it and " + state.checkpointHost() + " to go on");
    }
    return c;
  }

  /** Keeps {@code before} (what netform owned before the apply) and then the record. */
  public void save(Checkpoint c, ObservedHost before) {
    try {
      Snapshot.write(before, state.checkpointHost());
    } catch (IOException e) {
      throw state.writeFailure("the checkpoint's host snapshot", state.checkpointHost(), e);
    }
    update(c);
  }

  /** Writes the record again (a new deadline), the snapshot staying as it is. */
  public void update(Checkpoint c) {
    state.write(state.checkpoint(), "the checkpoint", c.toJson());
  }

  /** What netform owned before the pending apply. */
  public ObservedHost before() {
    try {
      return Snapshot.read(state.checkpointHost());
    } catch (SnapshotException e) {
      throw new UnreadableException(e.getMessage());
    } catch (IOException e) {
      throw state.failure("read", state.checkpointHost(), e);
    }
  }

  /** Ends the pending checkpoint: the record first, so that no timer acts on it any more. */
  public void clear() {
    try {
      Files.deleteIfExists(state.checkpoint());
      Files.deleteIfExists(state.checkpointHost());
    } catch (IOException e) {
      throw state.failure("remove", state.checkpoint(), e);
    }
  }
}
