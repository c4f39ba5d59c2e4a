package io.netform.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Real traffic for tests: whether a TCP connection succeeds from the namespace the caller runs in. */
public final class Tcp {

  private Tcp() {}

  public static boolean connects(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
