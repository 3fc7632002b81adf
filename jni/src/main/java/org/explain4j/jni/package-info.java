/**
 * What the native engines share on the Java side: {@link org.explain4j.jni.TaskInputs} hands a
 * task's tensor memory to native code without a copy where it can.
 */
package org.explain4j.jni;
