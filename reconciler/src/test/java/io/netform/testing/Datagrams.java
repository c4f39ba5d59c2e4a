package io.netform.testing;

import io.netform.kernel.ffi.LibC;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.net.IpAddress;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;

/** UDP datagrams that may not be fragmented (IP_PMTUDISC_DO): what fits the path's MTU arrives whole, or nothing is sent. */
public final class Datagrams {

  private static final int IPPROTO_IP = 0;
  private static final int IP_MTU_DISCOVER = 10;
  private static final int IP_PMTUDISC_DO = 2;
  private static final int SOCK_DGRAM = 2;
  private static final int AF_INET = 2;

  private Datagrams() {}

  /**
   * Sends {@code payload} bytes from {@code from} to {@code to:port} with DF set, and receives on
   * {@code receiver} (bound to the port already): whether the whole payload arrived unfragmented
   * within a second. A datagram larger than the path's MTU is refused by the sender's kernel (EMSGSIZE).
   */
  public static boolean arrivesWhole(NetnsHandle from, IpAddress to, int port, int payload, DatagramSocket receiver)
      throws IOException {
    boolean sent = from.call(() -> send(to, port, new byte[payload]));
    if (!sent) {
      return false;
    }
    receiver.setSoTimeout(1000);
    DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
    try {
      receiver.receive(p);
      return p.getLength() == payload;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  private static boolean send(IpAddress to, int port, byte[] data) {
    LibC libc = LibC.get();
    int fd = libc.socket(AF_INET, SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw new IllegalStateException("socket: errno " + LibC.errno());
    }
    try {
      if (libc.setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, new int[] {IP_PMTUDISC_DO}, 4) < 0) {
        throw new IllegalStateException("setsockopt IP_MTU_DISCOVER: errno " + LibC.errno());
      }
      byte[] sockaddr = new byte[16];
      sockaddr[0] = (byte) AF_INET;
      sockaddr[2] = (byte) (port >>> 8);
      sockaddr[3] = (byte) port;
      System.arraycopy(to.toBytes(), 0, sockaddr, 4, 4);
      return libc.sendto(fd, data, data.length, 0, sockaddr, sockaddr.length) == data.length;
    } finally {
      libc.close(fd);
    }
  }
}
