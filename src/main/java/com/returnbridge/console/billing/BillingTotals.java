package com.returnbridge.console.billing;

/** The summary of an export, added up row by row as the rows stream past (nothing else is kept). */
public final class BillingTotals {

    private long returns;
    private long unitsExpected;
    private long unitsReceived;
    private long processed;
    private long flagged;
    private long removedLineItems;
    private long rmasCreated;
    private long rmasClosed;
    private long rmasNeverClosed;

    void add(BillingRow row) {
        returns++;
        unitsExpected += row.unitsExpected();
        unitsReceived += row.unitsReceived();
        processed += row.processed() ? 1 : 0;
        flagged += row.flagged() ? 1 : 0;
        removedLineItems += row.removedLineItems();
        rmasCreated += row.rmaCreated() ? 1 : 0;
        rmasClosed += row.rmaClosed() ? 1 : 0;
        rmasNeverClosed += row.neverClosed() ? 1 : 0;
    }

    public long returns() {
        return returns;
    }

    public long unitsExpected() {
        return unitsExpected;
    }

    public long unitsReceived() {
        return unitsReceived;
    }

    public long processed() {
        return processed;
    }

    public long flagged() {
        return flagged;
    }

    public long removedLineItems() {
        return removedLineItems;
    }

    public long rmasCreated() {
        return rmasCreated;
    }

    public long rmasClosed() {
        return rmasClosed;
    }

    public long rmasNeverClosed() {
        return rmasNeverClosed;
    }
}
