package io.netform.testing;

import io.netform.kernel.netns.NetnsHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;

/** Real TCP between namespaces of a sandbox. */
public final class Traffic {

  private Traffic() {}

  /** Whether a TCP connection from {@code from} to {@code address:port} is accepted within {@code timeoutMillis}. */
  public static boolean connects(NetnsHandle from, String address, int port, int timeoutMillis) {
    return from.call(() -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(address, port), timeoutMillis);
        return true;
      } catch (IOException e) {
        return false;
      }
    });
  }

  /** The two ends of a connection as the server saw them. */
  public record Accepted(String client, String server) {}

  /**
   * Connects from {@code from} to {@code address:port} and accepts the connection on {@code server}
   * (which must be where it arrives); empty if it did not connect within 3 s (time for a lost first
   * SYN to be sent again on a loaded machine).
   */
  public static Optional<Accepted> accept(ServerSocket server, NetnsHandle from, String address, int port)
      throws IOException {
    if (!connects(from, address, port, 3000)) {
      return Optional.empty();
    }
    server.setSoTimeout(2000);
    try (Socket s = server.accept()) {
      return Optional.of(new Accepted(s.getInetAddress().getHostAddress(), s.getLocalAddress().getHostAddress()));
    }
  }
}
