package io.netform.kernel.netlink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One received netlink message: header fields and its payload bytes (copied out of the receive buffer). */
public record Message(int type, int flags, int seq, byte[] payload) {

  public int u8(int offset) {
    return payload[offset] & 0xff;
  }

  public int u16(int offset) {
    return (payload[offset] & 0xff) | (payload[offset + 1] & 0xff) << 8;
  }

  public int i32(int offset) {
    return u16(offset) | u16(offset + 2) << 16;
  }

  /** Attributes following a fixed header of {@code headerLength} bytes. */
  public Map<Integer, byte[]> attributes(int headerLength) {
    return parseAttributes(payload, Nl.align(headerLength), payload.length);
  }

  /**
   * Where the value of attribute {@code type} starts (an offset for {@link #u8}), or -1: one
   * attribute looked at without copying every attribute into a map.
   */
  public int attributeAt(int headerLength, int type) {
    int p = Nl.align(headerLength);
    while (p + 4 <= payload.length) {
      int len = u16(p);
      if (len < 4 || p + len > payload.length) {
        return -1;
      }
      if ((u16(p + 2) & ~Nl.NLA_F_NESTED & 0x3fff) == type) {
        return p + 4;
      }
      p += Nl.align(len);
    }
    return -1;
  }

  public static Map<Integer, byte[]> parseAttributes(byte[] b, int from, int to) {
    Map<Integer, byte[]> out = new HashMap<>();
    int p = from;
    while (p + 4 <= to) {
      int len = (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
      int type = ((b[p + 2] & 0xff) | (b[p + 3] & 0xff) << 8) & ~Nl.NLA_F_NESTED & 0x3fff;
      if (len < 4 || p + len > to) {
        break;
      }
      byte[] v = new byte[len - 4];
      System.arraycopy(b, p + 4, v, 0, len - 4);
      out.putIfAbsent(type, v);
      p += Nl.align(len);
    }
    return out;
  }

  public static Map<Integer, byte[]> nested(byte[] value) {
    return value == null ? Map.of() : parseAttributes(value, 0, value.length);
  }

  /** The values of a nested list (NFTA_LIST_ELEM ...), in order: a map would keep only the first. */
  public static List<byte[]> list(byte[] value) {
    List<byte[]> out = new ArrayList<>();
    for (int p = 0; value != null && p + 4 <= value.length; ) {
      int len = (value[p] & 0xff) | (value[p + 1] & 0xff) << 8;
      if (len < 4 || p + len > value.length) {
        break;
      }
      out.add(Arrays.copyOfRange(value, p + 4, p + len));
      p += Nl.align(len);
    }
    return out;
  }

  public static String string(byte[] v) {
    if (v == null) {
      return null;
    }
    int end = 0;
    while (end < v.length && v[end] != 0) {
      end++;
    }
    return new String(v, 0, end, StandardCharsets.UTF_8);
  }

  public static int u32(byte[] v) {
    return (v[0] & 0xff) | (v[1] & 0xff) << 8 | (v[2] & 0xff) << 16 | (v[3] & 0xff) << 24;
  }
}
