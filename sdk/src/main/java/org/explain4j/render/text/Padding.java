package org.explain4j.render.text;

/** Where a sequence's padding sits: before the tokens ({@code PRE}) or after them ({@code POST}). */
public enum Padding { PRE, POST }
