package org.tsflink.autoscaler;

import java.util.Iterator;
import java.util.Map;

/** Writes one JSON object per line on stdout: the driver's report, read by the TypeScript side. */
final class JsonLine {
    private JsonLine() {}

    /** Prints {@code fields} as one JSON object line; values may be strings, numbers, booleans, maps or iterables. */
    static synchronized void print(Map<String, ?> fields) {
        StringBuilder out = new StringBuilder();
        write(out, fields);
        System.out.println(out);
        System.out.flush();
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            double d = value instanceof Number ? ((Number) value).doubleValue() : 0;
            // JSON has no NaN or infinity: Flink's evaluator uses both for "unknown".
            out.append(Double.isNaN(d) || Double.isInfinite(d) ? "null" : value.toString());
        } else if (value instanceof Map) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = ((Map<?, ?>) value).entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                string(out, String.valueOf(e.getKey()));
                out.append(':');
                write(out, e.getValue());
                if (it.hasNext()) out.append(',');
            }
            out.append('}');
        } else if (value instanceof Iterable) {
            out.append('[');
            Iterator<?> it = ((Iterable<?>) value).iterator();
            while (it.hasNext()) {
                write(out, it.next());
                if (it.hasNext()) out.append(',');
            }
            out.append(']');
        } else {
            string(out, value.toString());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        out.append('"');
    }
}
