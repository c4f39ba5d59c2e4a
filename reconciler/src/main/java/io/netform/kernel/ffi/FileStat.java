package io.netform.kernel.ffi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * What one statx(2) call says of a file (symbolic links followed, unless {@link #ofEntry}): its
 * device (as a dev_t), inode and type.
 * Reading them through the JDK's "unix:" attribute view builds a map of attributes per file,
 * which made listing a directory of a thousand namespace mounts allocate megabytes.
 */
public record FileStat(long device, long inode, boolean regularFile) {

  private static final int STATX_TYPE = 0x1;
  private static final int STATX_MODE = 0x2;
  private static final int STATX_UID = 0x8;
  private static final int STATX_INO = 0x100;
  private static final int S_IFMT = 0xf000;
  private static final int S_IFREG = 0x8000;
  private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[256]);

  /**
   * The file at {@code path}; empty if there is none (ENOENT, ENOTDIR). Any other failure (no
   * statx in the kernel, a denial) is thrown: a file that could not be looked at is not a file
   * that is not there.
   */
  public static Optional<FileStat> of(String path) {
    return statx(LibC.AT_FDCWD, path, 0);
  }

  /** As {@link #of}, of a directory entry itself: a symbolic link is looked at, not followed. */
  public static Optional<FileStat> ofEntry(String path) {
    return statx(LibC.AT_FDCWD, path, LibC.AT_SYMLINK_NOFOLLOW);
  }

  /**
   * The owner (uid) and mode (type bits included) of a directory entry itself, a link not
   * followed, in one statx(2) call; empty if there is none. The JDK's "unix:uid,mode" view builds a
   * map per file, which made judging a state directory of thousands of files cost tens of ms.
   */
  public static Optional<int[]> ownerAndModeOfEntry(String path) {
    // struct statx: stx_uid (u32) at 20, stx_mode (u16) at 28
    return raw(LibC.AT_FDCWD, path, LibC.AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_MODE | STATX_UID)
        .map(b -> new int[] {b.getInt(20), b.getShort(28) & 0xffff});
  }

  /** The file an open descriptor (an O_PATH one too) refers to. */
  public static FileStat ofDescriptor(int fd, String path) {
    return statx(fd, "", LibC.AT_EMPTY_PATH).orElseThrow(() -> new SyscallException("looking at " + path, Errno.ENOENT));
  }

  private static Optional<FileStat> statx(int dirfd, String path, int flags) {
    // struct statx: stx_mode (u16) at 28, stx_ino (u64) at 32, stx_dev_major and _minor (u32) at 136 and 140.
    return raw(dirfd, path, flags, STATX_TYPE | STATX_INO).map(b -> new FileStat(
        makedev(Integer.toUnsignedLong(b.getInt(136)), Integer.toUnsignedLong(b.getInt(140))), b.getLong(32),
        (b.getShort(28) & S_IFMT) == S_IFREG));
  }

  /**
   * One statx(2) call, its struct statx in this thread's buffer (read it before the next call);
   * empty if there is nothing at {@code path} (ENOENT, ENOTDIR), any other failure thrown.
   */
  private static Optional<ByteBuffer> raw(int dirfd, String path, int flags, int mask) {
    byte[] buf = BUFFER.get();
    if (LibC.get().statx(dirfd, path, flags, mask, buf) != 0) {
      int errno = LibC.errno();
      if (errno == Errno.ENOENT || errno == Errno.ENOTDIR) {
        return Optional.empty();
      }
      throw new SyscallException("looking at " + path, errno);
    }
    return Optional.of(ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder()));
  }

  /** glibc's encoding of a device number (a dev_t, as stat(2) and the JDK's "unix:dev" give it). */
  private static long makedev(long major, long minor) {
    return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
  }
}
