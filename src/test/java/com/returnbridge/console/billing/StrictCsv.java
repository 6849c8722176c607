package com.returnbridge.console.billing;

import java.util.ArrayList;
import java.util.List;

/**
 * A strict RFC 4180 reader for the tests: records end with CRLF (the last one too, as the export writes it); a field
 * is either unquoted, holding no comma, double quote, CR or LF, or enclosed in double quotes with each quote inside
 * doubled, and then followed by a comma or the record's end. Every record has the header's number of fields. Anything
 * else is an error naming the offset, so a lenient writer cannot pass.
 */
public final class StrictCsv {

    private StrictCsv() {
    }

    public static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = text.length();
        if (n == 0 || text.charAt(0) == '\uFEFF') {
            throw new IllegalArgumentException("empty, or a byte-order mark before the header");
        }
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"') {
                if (field.length() > 0) {
                    throw new IllegalArgumentException("quote inside an unquoted field at " + i);
                }
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("quoted field not closed");
                    }
                    char q = text.charAt(i);
                    if (q == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.append(q);
                    i++;
                }
                if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\r') {
                    throw new IllegalArgumentException("text after a closing quote at " + i);
                }
                continue;
            }
            if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                i++;
            } else if (c == '\r') {
                if (i + 1 >= n || text.charAt(i + 1) != '\n') {
                    throw new IllegalArgumentException("CR without LF at " + i);
                }
                record.add(field.toString());
                field.setLength(0);
                if (!records.isEmpty() && record.size() != records.get(0).size()) {
                    throw new IllegalArgumentException("record " + records.size() + " has " + record.size()
                            + " fields, the header " + records.get(0).size());
                }
                records.add(record);
                record = new ArrayList<>();
                i += 2;
            } else if (c == '\n') {
                throw new IllegalArgumentException("LF without CR outside quotes at " + i);
            } else {
                field.append(c);
                i++;
            }
        }
        if (!record.isEmpty() || field.length() > 0) {
            throw new IllegalArgumentException("the last record does not end with CRLF");
        }
        return records;
    }
}
