package io.netform.kernel.ffi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Tells whether this process's mount table changed: poll(2) on /proc/self/mountinfo reports each
 * mount and unmount once (POLLPRI), which is how util-linux and systemd follow mounts. A change
 * counter, so that every reader can tell whether anything changed since it last looked. A
 * namespace named in a directory exists only as a mount, so a reader of such a directory may keep
 * what it read while the counter stays put. Where the file cannot be watched, every look counts
 * as a change.
 */
public final class MountTable {

  private static final short POLLPRI = 0x2;
  private static final Object LOCK = new Object();
  private static int fd = -2; // not opened yet
  private static long generation;

  private MountTable() {}

  /** The number of mount table changes seen so far; looking counts any change since the last look. */
  public static long generation() {
    synchronized (LOCK) {
      if (fd == -2) {
        fd = LibC.get().open("/proc/self/mountinfo", LibC.O_RDONLY | LibC.O_CLOEXEC);
      }
      if (fd < 0) {
        return ++generation;
      }
      byte[] pollfd = new byte[8];
      ByteBuffer b = ByteBuffer.wrap(pollfd).order(ByteOrder.nativeOrder());
      b.putInt(0, fd).putShort(4, POLLPRI);
      if (LibC.get().poll(pollfd, 1, 0) != 0) { // changed (POLLPRI, POLLERR), or the look failed: not known to be the same
        generation++;
      }
      return generation;
    }
  }
}
