package io.netform.ipam;

import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.List;

/** Docker's default address pools for networks without a configured subnet, in Docker's order. */
public final class DefaultPools {

  /** 172.17.0.0/16 … 172.31.0.0/16, then 192.168.0.0/20 … 192.168.240.0/20. */
  public static final List<Cidr> CANDIDATES = candidates();

  private DefaultPools() {}

  private static List<Cidr> candidates() {
    List<Cidr> out = new ArrayList<>();
    for (int b = 17; b <= 31; b++) {
      out.add(new Cidr(IpAddress.v4(172, b, 0, 0), 16));
    }
    for (int c = 0; c < 256; c += 16) {
      out.add(new Cidr(IpAddress.v4(192, 168, c, 0), 20));
    }
    return List.copyOf(out);
  }
}
