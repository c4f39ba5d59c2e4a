package io.netform.kernel.ffi;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** The few libc calls netform needs, bound with jnr-ffi. errno is saved after every call. */
public interface LibC {

  int AF_NETLINK = 16;
  int NETLINK_ROUTE = 0;
  int NETLINK_NETFILTER = 12;
  int SOCK_RAW = 3;
  int SOCK_CLOEXEC = 0x80000;
  int SOL_SOCKET = 1;
  int SO_RCVBUF = 8;
  int SO_SNDBUF = 7;
  int SO_RCVTIMEO = 20;
  int SOL_NETLINK = 270;
  int NETLINK_LISTEN_ALL_NSID = 8;
  int NETLINK_CAP_ACK = 10;
  int NETLINK_EXT_ACK = 11;
  int NETLINK_GET_STRICT_CHK = 12;
  int CLONE_NEWNET = 0x40000000;
  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;
  int O_CREAT = 0x40;
  int O_EXCL = 0x80;
  /** fcntl.h: aarch64 moved it (and O_DIRECTORY); O_PATH is the same on both. */
  int O_NOFOLLOW = "aarch64".equals(System.getProperty("os.arch")) ? 0x8000 : 0x20000;
  int O_PATH = 0x200000;
  int AT_SYMLINK_NOFOLLOW = 0x100;
  int AT_EMPTY_PATH = 0x1000;
  int AT_FDCWD = -100;
  long MS_BIND = 4096;
  long MS_REC = 16384;
  long MS_SHARED = 1 << 20;
  int MNT_DETACH = 2;
  /** umount2: a symbolic link at the target is not followed (EINVAL instead). */
  int UMOUNT_NOFOLLOW = 8;
  int MSG_DONTWAIT = 0x40;
  int PROT_READ = 1;
  int PROT_WRITE = 2;
  int MAP_PRIVATE = 2;
  int MAP_ANONYMOUS = 0x20;
  long MAP_FAILED = -1;

  @SaveError
  int socket(int domain, int type, int protocol);

  @SaveError
  int bind(int fd, @In byte[] addr, int addrlen);

  @SaveError
  int setsockopt(int fd, int level, int optname, @In int[] optval, int optlen);

  /** connect(2) to a struct sockaddr_in or sockaddr_in6 laid out in {@code addr}. */
  @SaveError
  int connect(int fd, @In byte[] addr, int addrlen);

  @SaveError
  int getsockopt(int fd, int level, int optname, @Out int[] optval, @In @Out int[] optlen);

  @SaveError
  @ssize_t
  long sendto(int fd, @In byte[] buf, @size_t long len, int flags, @In byte[] addr, int addrlen);

  @SaveError
  @ssize_t
  long recv(int fd, jnr.ffi.Pointer buf, @size_t long len, int flags);

  /** {@code msg} points at a struct msghdr the caller laid out (see NetlinkSocket.pollEvent). */
  @SaveError
  @ssize_t
  long recvmsg(int fd, jnr.ffi.Pointer msg, int flags);

  @SaveError
  int close(int fd);

  /** Anonymous memory straight from the kernel (no malloc arena), returned with {@link #munmap}. */
  @SaveError
  long mmap(jnr.ffi.Pointer addr, @size_t long length, int prot, int flags, int fd, @off_t long offset);

  @SaveError
  int munmap(long addr, @size_t long length);

  @SaveError
  int open(String path, int flags);

  /** openat(2) with a mode: {@link #open} leaves the mode O_CREAT needs undefined. */
  @SaveError
  int openat(int dirfd, String path, int flags, int mode);

  /** poll(2) over {@code nfds} struct pollfd laid out in {@code fds} (8 bytes each: int fd, short events, short revents). */
  @SaveError
  int poll(@In @Out byte[] fds, long nfds, int timeout);

  /** statx(2): {@code buf} receives a struct statx (256 bytes, the same layout on every architecture). */
  @SaveError
  int statx(int dirfd, String path, int flags, int mask, @Out byte[] buf);

  /** umask(2): sets the mask, returns the one before; it cannot fail. */
  int umask(int mask);

  @SaveError
  int setns(int fd, int nstype);

  @SaveError
  int unshare(int flags);

  @SaveError
  int mount(String source, String target, String fstype, long flags, String data);

  @SaveError
  int umount2(String target, int flags);

  /** capget/capset (linux/capability.h, version 3: two 32-bit words per set). Capabilities are per thread. */
  @SaveError
  int capget(@In int[] header, @Out int[] data);

  @SaveError
  int capset(@In int[] header, @In int[] data);

  /** inotify (sys/inotify.h): a descriptor whose reads return the queued events of its watches. */
  @SaveError
  int inotify_init1(int flags);

  @SaveError
  int inotify_add_watch(int fd, String path, int mask);

  @SaveError
  @ssize_t
  long read(int fd, @Out byte[] buf, @size_t long count);

  int IN_NONBLOCK = 0x800;
  int IN_CLOEXEC = 0x80000;
  int IN_MODIFY = 0x2;
  int IN_ATTRIB = 0x4;
  int IN_MOVED_FROM = 0x40;
  int IN_MOVED_TO = 0x80;
  int IN_CREATE = 0x100;
  int IN_DELETE = 0x200;
  int IN_DELETE_SELF = 0x400;
  int IN_MOVE_SELF = 0x800;
  int IN_Q_OVERFLOW = 0x4000;
  int IN_IGNORED = 0x8000;
  int IN_ONLYDIR = 0x1000000;
  int IN_DONT_FOLLOW = 0x2000000;

  int CAPABILITY_VERSION_3 = 0x20080522;
  int CAP_NET_ADMIN = 12;

  /** The loaded library; jffi unpacks its native stub into java.io.tmpdir on first use. */
  static LibC get() {
    return Holder.INSTANCE;
  }

  /** errno of the last call on this thread. */
  static int errno() {
    return jnr.ffi.LastError.getLastError(jnr.ffi.Runtime.getRuntime(Holder.INSTANCE));
  }

  final class Holder {
    static final LibC INSTANCE = LibraryLoader.create(LibC.class).load("c");

    private Holder() {}
  }
}
