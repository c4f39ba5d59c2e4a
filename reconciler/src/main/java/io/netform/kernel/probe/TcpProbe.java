package io.netform.kernel.probe;

import io.netform.check.Answer;
import io.netform.kernel.ffi.Errno;
import io.netform.kernel.ffi.LibC;
import io.netform.net.IpAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * One TCP connection attempt, made on the calling thread (inside a namespace when that thread is
 * one's: see NetnsHandle.call), told apart by the kernel's error number: Java's exception messages
 * are in the machine's language, and its types do not tell every error apart.
 */
public final class TcpProbe {

  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;
  private static final int SOCK_STREAM_NONBLOCK_CLOEXEC = 1 | 0x800 | 0x80000;
  private static final int SOL_SOCKET = 1;
  private static final int SO_ERROR = 4;
  private static final short POLLOUT = 4;

  private TcpProbe() {}

  public static Answer connect(IpAddress address, int port, Duration timeout) {
    LibC c = LibC.get();
    int fd = c.socket(address.isV4() ? AF_INET : AF_INET6, SOCK_STREAM_NONBLOCK_CLOEXEC, 0);
    if (fd < 0) {
      return Answer.FAILED;
    }
    try {
      byte[] to = sockaddr(address, port);
      if (c.connect(fd, to, to.length) == 0) {
        return Answer.CONNECTED;
      }
      int errno = LibC.errno();
      if (errno != Errno.EINPROGRESS) {
        return answer(errno);
      }
      byte[] pollfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(fd).putShort(POLLOUT).array();
      int ready = c.poll(pollfd, 1, (int) Math.max(1, timeout.toMillis()));
      if (ready == 0) {
        return Answer.TIMED_OUT;
      }
      if (ready < 0) {
        return Answer.FAILED;
      }
      int[] error = new int[1];
      if (c.getsockopt(fd, SOL_SOCKET, SO_ERROR, error, new int[] {4}) != 0) {
        return Answer.FAILED;
      }
      return error[0] == 0 ? Answer.CONNECTED : answer(error[0]);
    } finally {
      c.close(fd);
    }
  }

  private static Answer answer(int errno) {
    return switch (errno) {
      case Errno.ECONNREFUSED -> Answer.REFUSED;
      case Errno.ETIMEDOUT -> Answer.TIMED_OUT;
      case Errno.EHOSTUNREACH, Errno.ENETUNREACH -> Answer.NO_ROUTE;
      default -> Answer.FAILED;
    };
  }

  /** struct sockaddr_in (16 bytes) or sockaddr_in6 (28): the family in host order, the port in network order. */
  private static byte[] sockaddr(IpAddress address, int port) {
    byte[] raw = address.toBytes();
    ByteBuffer b = ByteBuffer.allocate(address.isV4() ? 16 : 28);
    b.order(ByteOrder.nativeOrder()).putShort((short) (address.isV4() ? AF_INET : AF_INET6));
    b.order(ByteOrder.BIG_ENDIAN).putShort((short) port);
    if (address.isV4()) {
      b.put(raw);
    } else {
      b.putInt(0).put(raw); // flow info, then the address; scope id 0
    }
    return b.array();
  }
}
