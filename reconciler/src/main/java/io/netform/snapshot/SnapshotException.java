package io.netform.snapshot;

/** A snapshot file that cannot be read; the message names the file and, where known, line and column. */
public class SnapshotException extends RuntimeException {

  public SnapshotException(String message) {
    super(message);
  }
}
