/**
 * Example applications: an image classifier and a text classifier explained in a few lines.
 */
package org.explain4j.examples;
