package io.netform.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * One netform changes a host at a time: an OS file lock in the state directory, which the kernel
 * releases when the holder exits (even by kill -9), so a crashed run never leaves the host locked.
 * The file says who holds it, for the message the second run prints.
 */
public final class HostLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private HostLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock, or says who holds it. */
  public static HostLock acquire(Path stateDir, String command) {
    Path file = stateDir.resolve("lock");
    try {
      Files.createDirectories(stateDir);
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException held) {
        l = null; // held by this very process (e.g. the agent's own apply)
      }
      if (l == null) {
        String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
        ch.close();
        throw new LockedException("another netform is changing this host (" + (holder.isEmpty() ? "unknown" : holder)
            + "; lock " + file + "). Wait for it to finish; the lock frees itself when that process ends.");
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", " + command + ", since " + Instant.now())
          .getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
      return new HostLock(ch, l);
    } catch (IOException e) {
      throw new UncheckedIOException("locking " + file + ": " + e.getMessage(), e);
    }
  }

  /** Who holds the lock, if anyone: for status output. */
  public static Optional<String> holder(Path stateDir) {
    try {
      return Optional.of(Files.readString(stateDir.resolve("lock")).strip()).filter(s -> !s.isEmpty());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the OS releases the lock with the file anyway
    }
  }

  /** The host is locked by another run. */
  public static final class LockedException extends RuntimeException {
    public LockedException(String message) {
      super(message);
    }
  }
}
