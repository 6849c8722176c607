package com.returnbridge.bridge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the warehouse recorded, per Loop line item. The RMA was built with one line per SKU holding that SKU's unit
 * count ({@link CreateRmaJob#linesBySku}), so matching goes back the same way: the RMA's lines of a SKU give that
 * many unit slots (received ones first, restocked ones first among those, each with its line's condition), and the
 * Loop units of the SKU take them in turn. Units of one SKU cannot be told apart in the parcel, so the received ones
 * go to exchange units first: a unit missing from a refund can be removed in Loop, one missing from an exchange
 * cannot.
 *
 * <p>Kits: Loop lists the kit's SKU; ShipHero may hold the kit as its components ({@code is_component}) instead of a
 * line of the kit's SKU. A Loop SKU with no line of its own is counted from the components no other SKU took: a kit
 * unit is received when every component came back for it (the lowest share of any component), so a kit missing a
 * part is not counted received. The schema does not say which kit a component belongs to, so with two such kits in
 * one return each is counted from all of them.
 */
public final class LineMatching {

    private LineMatching() {
    }

    /** One unit of an RMA line, as the warehouse recorded it. */
    private record Slot(boolean received, boolean restocked, String condition) {
    }

    public static List<LineReceipt> receipts(LoopReturn loopReturn, WarehouseApi.RmaSnapshot rma) {
        Map<String, List<WarehouseApi.LineState>> own = new LinkedHashMap<>();
        List<WarehouseApi.LineState> components = new ArrayList<>();
        java.util.Set<String> loopSkus = new java.util.HashSet<>();
        loopReturn.units().forEach(u -> loopSkus.add(u.sku()));
        for (WarehouseApi.LineState line : rma.lines()) {
            if (line.sku() == null) {
                continue;
            }
            if (line.component() && !loopSkus.contains(line.sku())) {
                components.add(line);
            } else {
                own.computeIfAbsent(line.sku(), k -> new ArrayList<>()).add(line);
            }
        }
        Map<String, List<LoopReturn.Unit>> unitsBySku = new LinkedHashMap<>();
        for (LoopReturn.Unit unit : loopReturn.units()) {
            unitsBySku.computeIfAbsent(unit.sku(), k -> new ArrayList<>()).add(unit);
        }
        Map<LoopReturn.Unit, LineReceipt> byUnit = new java.util.IdentityHashMap<>();
        unitsBySku.forEach((sku, units) -> {
            List<Slot> slots = sku == null ? List.of()
                    : own.containsKey(sku) ? slots(own.get(sku)) : kitSlots(units.size(), components);
            // Exchange units take the received slots first (stable sort keeps Loop's order otherwise).
            List<LoopReturn.Unit> order = new ArrayList<>(units);
            order.sort(Comparator.comparingInt(u -> u.outcome() == LoopReturn.Outcome.EXCHANGE ? 0 : 1));
            for (int i = 0; i < order.size(); i++) {
                LoopReturn.Unit unit = order.get(i);
                Slot slot = i < slots.size() ? slots.get(i) : new Slot(false, false, null);
                byUnit.put(unit, new LineReceipt(unit.lineItemId(), sku, 1, slot.received() ? 1 : 0,
                        slot.restocked() ? 1 : 0, slot.condition()));
            }
        });
        List<LineReceipt> out = new ArrayList<>();
        loopReturn.units().forEach(u -> out.add(byUnit.get(u)));
        return out;
    }

    private static List<Slot> slots(List<WarehouseApi.LineState> lines) {
        List<Slot> received = new ArrayList<>();
        List<Slot> notReceived = new ArrayList<>();
        for (WarehouseApi.LineState line : lines) {
            int got = Math.max(0, line.received());
            int restocked = Math.min(got, Math.max(0, line.restocked()));
            for (int i = 0; i < got; i++) {
                received.add(new Slot(true, i < restocked, blankToNull(line.condition())));
            }
            for (int i = got; i < line.expected(); i++) {
                notReceived.add(new Slot(false, false, null));
            }
        }
        received.sort(Comparator.comparingInt(s -> s.restocked() ? 0 : 1));
        received.addAll(notReceived);
        return received;
    }

    /** {@code kits} units of a kit counted from its components: whole kits received, and restocked. */
    private static List<Slot> kitSlots(int kits, List<WarehouseApi.LineState> components) {
        if (components.isEmpty()) {
            return List.of();
        }
        int received = kits;
        int restocked = kits;
        String condition = null;
        for (WarehouseApi.LineState c : components) {
            int perKit = Math.max(1, c.expected() / Math.max(1, kits));
            received = Math.min(received, Math.max(0, c.received()) / perKit);
            restocked = Math.min(restocked, Math.max(0, c.restocked()) / perKit);
            if (condition == null) {
                condition = blankToNull(c.condition());
            }
        }
        restocked = Math.min(restocked, received);
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < kits; i++) {
            slots.add(new Slot(i < received, i < restocked, i < received ? condition : null));
        }
        return slots;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
