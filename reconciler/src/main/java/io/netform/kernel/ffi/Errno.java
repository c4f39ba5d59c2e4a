package io.netform.kernel.ffi;

import java.util.Map;

/** errno numbers to their names and texts (x86-64/aarch64 Linux values), for error messages. */
public final class Errno {

  private static final Map<Integer, String[]> NAMES = Map.ofEntries(
      Map.entry(1, new String[] {"EPERM", "Operation not permitted"}),
      Map.entry(2, new String[] {"ENOENT", "No such file or directory"}),
      Map.entry(3, new String[] {"ESRCH", "No such process"}),
      Map.entry(4, new String[] {"EINTR", "Interrupted system call"}),
      Map.entry(9, new String[] {"EBADF", "Bad file descriptor"}),
      Map.entry(11, new String[] {"EAGAIN", "Resource temporarily unavailable"}),
      Map.entry(12, new String[] {"ENOMEM", "Cannot allocate memory"}),
      Map.entry(13, new String[] {"EACCES", "Permission denied"}),
      Map.entry(16, new String[] {"EBUSY", "Device or resource busy"}),
      Map.entry(17, new String[] {"EEXIST", "File exists"}),
      Map.entry(19, new String[] {"ENODEV", "No such device"}),
      Map.entry(20, new String[] {"ENOTDIR", "Not a directory"}),
      Map.entry(22, new String[] {"EINVAL", "Invalid argument"}),
      Map.entry(24, new String[] {"EMFILE", "Too many open files"}),
      Map.entry(28, new String[] {"ENOSPC", "No space left on device"}),
      Map.entry(34, new String[] {"ERANGE", "Numerical result out of range"}),
      Map.entry(38, new String[] {"ENOSYS", "Function not implemented"}),
      Map.entry(40, new String[] {"ELOOP", "Too many levels of symbolic links"}),
      Map.entry(61, new String[] {"ENODATA", "No data available"}),
      Map.entry(75, new String[] {"EOVERFLOW", "Value too large for defined data type"}),
      Map.entry(93, new String[] {"EPROTONOSUPPORT", "Protocol not supported"}),
      Map.entry(95, new String[] {"EOPNOTSUPP", "Operation not supported"}),
      Map.entry(97, new String[] {"EAFNOSUPPORT", "Address family not supported by protocol"}),
      Map.entry(99, new String[] {"EADDRNOTAVAIL", "Cannot assign requested address"}),
      Map.entry(101, new String[] {"ENETUNREACH", "Network is unreachable"}),
      Map.entry(105, new String[] {"ENOBUFS", "No buffer space available"}),
      Map.entry(107, new String[] {"ENOTCONN", "Transport endpoint is not connected"}),
      Map.entry(110, new String[] {"ETIMEDOUT", "Connection timed out"}));

  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int ENOTDIR = 20;
  public static final int EINTR = 4;
  public static final int EEXIST = 17;
  public static final int ELOOP = 40;
  public static final int ENODEV = 19;
  public static final int EINVAL = 22;
  public static final int ENOBUFS = 105;
  public static final int EPROTONOSUPPORT = 93;
  public static final int EOPNOTSUPP = 95;
  public static final int EAGAIN = 11;
  public static final int ENETUNREACH = 101;
  public static final int ETIMEDOUT = 110;
  public static final int ECONNREFUSED = 111;
  public static final int EHOSTUNREACH = 113;
  public static final int EINPROGRESS = 115;

  private Errno() {}

  public static String name(int errno) {
    String[] n = NAMES.get(errno);
    return n == null ? "E" + errno : n[0];
  }

  public static String text(int errno) {
    String[] n = NAMES.get(errno);
    return n == null ? "error " + errno : n[1];
  }
}
