package io.netform.cli;

/** A failure caused by the user's input or environment: printed as a message, without a stack trace. */
public class UserError extends RuntimeException {

  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
