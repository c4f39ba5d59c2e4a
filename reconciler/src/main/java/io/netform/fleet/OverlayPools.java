package io.netform.fleet;

import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** Docker's global default pool for overlay networks without a subnet: the /24s of 10.0.0.0/8, in order. */
final class OverlayPools {

  static final int COUNT = 1 << 16;

  private OverlayPools() {}

  static Iterable<Cidr> candidates() {
    return () -> new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < COUNT;
      }

      @Override
      public Cidr next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return new Cidr(IpAddress.v4(10L << 24 | (long) next++ << 8), 24);
      }
    };
  }
}
