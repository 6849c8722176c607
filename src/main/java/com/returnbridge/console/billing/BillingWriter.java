package com.returnbridge.console.billing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an export as it streams: a head, each return, then the summary (known only at the end). Two formats, JSON
 * and RFC 4180 CSV; both write straight to the response's stream and keep nothing but their output buffer.
 */
public sealed interface BillingWriter permits BillingWriter.Csv, BillingWriter.Json {

    void begin(String connectionId, BillingPeriod period, String closeStatus);

    void row(BillingRow row);

    /** Writes the summary and flushes; the stream stays open (the container closes it). */
    void end(BillingTotals totals);

    static BillingWriter csv(OutputStream out) {
        return new Csv(out);
    }

    static BillingWriter json(OutputStream out) {
        return new Json(out);
    }

    private static String time(OffsetDateTime t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.withOffsetSameInstant(ZoneOffset.UTC));
    }

    /**
     * RFC 4180: UTF-8 without a byte-order mark, CRLF after every record, a header record, then one record per
     * return and one summary record, all with the same fields. A field holding a comma, a double quote, CR or LF is
     * enclosed in double quotes, with each double quote inside doubled; others are written as they are. The first
     * field says which record it is ({@code return} or {@code summary}); yes/no fields are {@code 1}/{@code 0}, so
     * the summary record is the sum of each numeric column.
     */
    final class Csv implements BillingWriter {

        static final List<String> HEADER = List.of("record", "loop_return_id", "order_name", "created_at", "state",
                "loop_state", "shiphero_rma_id", "shiphero_rma_number", "shiphero_status", "decision", "returns",
                "units_expected", "units_received", "processed", "processed_at", "flagged", "removed_line_items",
                "rma_created", "rma_closed", "rma_closed_at", "rma_never_closed");

        private final Writer out;

        private Csv(OutputStream out) {
            this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 16 * 1024);
        }

        @Override
        public void begin(String connectionId, BillingPeriod period, String closeStatus) {
            record(HEADER);
        }

        @Override
        public void row(BillingRow r) {
            List<String> f = new ArrayList<>(HEADER.size());
            f.add("return");
            f.add(r.loopReturnId());
            f.add(r.orderName());
            f.add(time(r.createdAt()));
            f.add(r.state());
            f.add(r.loopState());
            f.add(r.shipheroRmaId());
            f.add(r.shipheroRmaNumber() == null ? null : r.shipheroRmaNumber().toString());
            f.add(r.shipheroStatus());
            f.add(r.decision());
            f.add("1");
            f.add(Integer.toString(r.unitsExpected()));
            f.add(Integer.toString(r.unitsReceived()));
            f.add(bit(r.processed()));
            f.add(time(r.processedAt()));
            f.add(bit(r.flagged()));
            f.add(Integer.toString(r.removedLineItems()));
            f.add(bit(r.rmaCreated()));
            f.add(bit(r.rmaClosed()));
            f.add(time(r.rmaClosedAt()));
            f.add(bit(r.neverClosed()));
            record(f);
        }

        @Override
        public void end(BillingTotals t) {
            List<String> f = new ArrayList<>(HEADER.size());
            f.add("summary");
            for (int i = 1; i < 10; i++) {
                f.add(null);
            }
            f.add(Long.toString(t.returns()));
            f.add(Long.toString(t.unitsExpected()));
            f.add(Long.toString(t.unitsReceived()));
            f.add(Long.toString(t.processed()));
            f.add(null);
            f.add(Long.toString(t.flagged()));
            f.add(Long.toString(t.removedLineItems()));
            f.add(Long.toString(t.rmasCreated()));
            f.add(Long.toString(t.rmasClosed()));
            f.add(null);
            f.add(Long.toString(t.rmasNeverClosed()));
            record(f);
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String bit(boolean b) {
            return b ? "1" : "0";
        }

        private void record(List<String> fields) {
            try {
                for (int i = 0; i < fields.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    out.write(field(fields.get(i)));
                }
                out.write("\r\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static String field(String value) {
            if (value == null) {
                return "";
            }
            boolean quote = false;
            for (int i = 0; i < value.length() && !quote; i++) {
                char c = value.charAt(i);
                quote = c == ',' || c == '"' || c == '\r' || c == '\n';
            }
            return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
        }
    }

    /**
     * {@code {"connection", "from", "to", "timeZone": "UTC", "closeStatus", "returns": [ … ], "summary": { … }}}: the
     * summary comes last because it is added up while the returns are written.
     */
    final class Json implements BillingWriter {

        private static final JsonMapper MAPPER = JsonMapper.builder().build();

        private final JsonGenerator g;

        private Json(OutputStream out) {
            this.g = MAPPER.createGenerator(out);
        }

        @Override
        public void begin(String connectionId, BillingPeriod period, String closeStatus) {
            g.writeStartObject();
            g.writeStringProperty("connection", connectionId);
            g.writeStringProperty("from", period.from().toString());
            g.writeStringProperty("to", period.to().toString());
            g.writeStringProperty("timeZone", "UTC");
            g.writeStringProperty("closeStatus", closeStatus);
            g.writeName("returns");
            g.writeStartArray();
        }

        @Override
        public void row(BillingRow r) {
            g.writeStartObject();
            g.writeStringProperty("loopReturnId", r.loopReturnId());
            g.writeStringProperty("orderName", r.orderName());
            g.writeStringProperty("createdAt", time(r.createdAt()));
            g.writeStringProperty("state", r.state());
            g.writeStringProperty("loopState", r.loopState());
            g.writeStringProperty("shipheroRmaId", r.shipheroRmaId());
            if (r.shipheroRmaNumber() == null) {
                g.writeNullProperty("shipheroRmaNumber");
            } else {
                g.writeNumberProperty("shipheroRmaNumber", r.shipheroRmaNumber());
            }
            g.writeStringProperty("shipheroStatus", r.shipheroStatus());
            g.writeStringProperty("decision", r.decision());
            g.writeNumberProperty("unitsExpected", r.unitsExpected());
            g.writeNumberProperty("unitsReceived", r.unitsReceived());
            g.writeBooleanProperty("processed", r.processed());
            g.writeStringProperty("processedAt", time(r.processedAt()));
            g.writeBooleanProperty("flagged", r.flagged());
            g.writeNumberProperty("removedLineItems", r.removedLineItems());
            g.writeBooleanProperty("rmaCreated", r.rmaCreated());
            g.writeBooleanProperty("rmaClosed", r.rmaClosed());
            g.writeStringProperty("rmaClosedAt", time(r.rmaClosedAt()));
            g.writeBooleanProperty("rmaNeverClosed", r.neverClosed());
            g.writeEndObject();
        }

        @Override
        public void end(BillingTotals t) {
            g.writeEndArray();
            g.writeName("summary");
            g.writeStartObject();
            g.writeNumberProperty("returns", t.returns());
            g.writeNumberProperty("unitsExpected", t.unitsExpected());
            g.writeNumberProperty("unitsReceived", t.unitsReceived());
            g.writeNumberProperty("processed", t.processed());
            g.writeNumberProperty("flagged", t.flagged());
            g.writeNumberProperty("removedLineItems", t.removedLineItems());
            g.writeNumberProperty("rmasCreated", t.rmasCreated());
            g.writeNumberProperty("rmasClosed", t.rmasClosed());
            g.writeNumberProperty("rmasNeverClosed", t.rmasNeverClosed());
            g.writeEndObject();
            g.writeEndObject();
            g.flush();
        }
    }
}
