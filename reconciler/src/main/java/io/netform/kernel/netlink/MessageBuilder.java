package io.netform.kernel.netlink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/** Builds one netlink message: header, fixed struct, attributes (nested where needed), host byte order. */
public final class MessageBuilder {

  private byte[] buf = new byte[256];
  private int pos;
  private final Deque<Integer> nests = new ArrayDeque<>();

  private MessageBuilder(int type, int flags) {
    pos = Nl.HEADER;
    putU16At(4, type);
    putU16At(6, flags);
  }

  public static MessageBuilder of(int type, int flags) {
    return new MessageBuilder(type, flags | Nl.F_REQUEST);
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }

  public MessageBuilder u8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
    return this;
  }

  public MessageBuilder u16(int v) {
    ensure(2);
    putU16At(pos, v);
    pos += 2;
    return this;
  }

  public MessageBuilder u32(int v) {
    ensure(4);
    putU32At(pos, v);
    pos += 4;
    return this;
  }

  public MessageBuilder attr(int type, byte[] data) {
    int len = 4 + data.length;
    ensure(Nl.align(len));
    putU16At(pos, len);
    putU16At(pos + 2, type);
    System.arraycopy(data, 0, buf, pos + 4, data.length);
    Arrays.fill(buf, pos + len, pos + Nl.align(len), (byte) 0);
    pos += Nl.align(len);
    return this;
  }

  public MessageBuilder attrU8(int type, int v) {
    return attr(type, new byte[] {(byte) v});
  }

  public MessageBuilder attrU16(int type, int v) {
    return attr(type, new byte[] {(byte) v, (byte) (v >>> 8)});
  }

  /** A 16-bit value in network byte order (e.g. a UDP port). */
  public MessageBuilder attrBe16(int type, int v) {
    return attr(type, new byte[] {(byte) (v >>> 8), (byte) v});
  }

  public MessageBuilder attrU32(int type, int v) {
    return attr(type, new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
  }

  /** A NUL-terminated string, as the kernel expects for names. */
  public MessageBuilder attrString(int type, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return attr(type, Arrays.copyOf(b, b.length + 1));
  }

  public MessageBuilder beginNested(int type) {
    ensure(4);
    nests.push(pos);
    putU16At(pos + 2, type | Nl.NLA_F_NESTED);
    pos += 4;
    return this;
  }

  /** A nested attribute without the NLA_F_NESTED bit (some older attributes, e.g. VETH_INFO_PEER, are read either way). */
  public MessageBuilder endNested() {
    int start = nests.pop();
    putU16At(start, pos - start);
    return this;
  }

  public byte[] build(int seq) {
    if (!nests.isEmpty()) {
      throw new IllegalStateException("unclosed nested attribute");
    }
    putU32At(0, pos);
    putU32At(8, seq);
    return Arrays.copyOf(buf, pos);
  }

  private void putU16At(int at, int v) {
    buf[at] = (byte) v;
    buf[at + 1] = (byte) (v >>> 8);
  }

  private void putU32At(int at, int v) {
    buf[at] = (byte) v;
    buf[at + 1] = (byte) (v >>> 8);
    buf[at + 2] = (byte) (v >>> 16);
    buf[at + 3] = (byte) (v >>> 24);
  }
}
