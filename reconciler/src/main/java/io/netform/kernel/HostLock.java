package io.netform.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;

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

  /** Takes the lock, or says who holds it. The file is opened with O_NOFOLLOW: a link there is refused. */
  public static HostLock acquire(StateDirectory state, String command) {
    Path file = state.lock();
    FileChannel ch;
    try {
      ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
          StateDirectory.NO_FOLLOW), StateDirectory.PRIVATE_FILE);
    } catch (IOException e) {
      throw state.failure("open the lock", file, e);
    }
    try {
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException held) {
        l = null; // held by this very process (e.g. the agent's own apply)
      }
      if (l == null) {
        String holder = contentOf(ch);
        ch.close();
        throw new LockedException("another netform is changing this host (" + (holder.isEmpty() ? "unknown" : holder)
            + "; lock " + file + "). Wait for it to finish; the lock frees itself when that process ends.");
      }
      ch.truncate(0);
      ByteBuffer who = ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", " + command + ", since " + Instant.now())
          .getBytes(StandardCharsets.UTF_8));
      while (who.hasRemaining()) {
        ch.write(who, who.position());
      }
      ch.force(true);
      return new HostLock(ch, l);
    } catch (IOException e) {
      closeQuietly(ch); // releases the lock too
      throw state.failure("write the lock", file, e);
    }
  }

  private static String contentOf(FileChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
      // a holder's line is short
    }
    return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // already failing for a better reason
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
