package io.netform.validate;

/**
 * What is wrong with one value, judged from the value alone: the schema's pattern and the rules
 * report it with the same words, so the two findings merge into one.
 */
record ValueProblem(String code, String message, String hint) {}
