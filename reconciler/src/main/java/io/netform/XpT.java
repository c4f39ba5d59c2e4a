package io.netform;
public final class XpT {
  private static long last = System.nanoTime();
  public static void m(String what) {
    if (Boolean.getBoolean("xp.t")) { long n = System.nanoTime(); System.err.printf("XPT %-28s %6.2f ms%n", what, (n - last) / 1e6); last = n; }
  }
}
