package io.netform.desired;

/** The VXLAN ids an overlay network may have: 24 bits, without 0 (Docker's allocator never gives it). */
public final class VxlanId {

  public static final int MIN = 1;
  public static final int MAX = (1 << 24) - 1;

  private VxlanId() {}

  public static boolean valid(long id) {
    return id >= MIN && id <= MAX;
  }
}
