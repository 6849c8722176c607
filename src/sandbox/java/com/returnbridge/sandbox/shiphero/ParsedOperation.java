package com.returnbridge.sandbox.shiphero;

import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.parser.Parser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chosen operation of a request, read before execution: faults, stats and the credit check are all keyed by
 * its top-level field names (ShipHero's "operation").
 */
final class ParsedOperation {

    private final List<Field> topLevelFields;
    private final Map<String, FragmentDefinition> fragments;
    private final Map<String, Object> variables;

    private ParsedOperation(List<Field> topLevelFields, Map<String, FragmentDefinition> fragments,
            Map<String, Object> variables) {
        this.topLevelFields = topLevelFields;
        this.fragments = fragments;
        this.variables = variables;
    }

    /** Empty when the document does not parse or names no such operation; graphql-java then reports why. */
    static Optional<ParsedOperation> parse(String query, String operationName, Map<String, Object> variables) {
        Document document;
        try {
            document = Parser.parse(query);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        Optional<OperationDefinition> operation = operationName == null
                ? (operations.size() == 1 ? Optional.of(operations.get(0)) : Optional.empty())
                : operations.stream().filter(o -> operationName.equals(o.getName())).findFirst();
        if (operation.isEmpty()) {
            return Optional.empty();
        }
        Map<String, FragmentDefinition> fragments = new HashMap<>();
        document.getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.put(f.getName(), f));
        ParsedOperation parsed = new ParsedOperation(new ArrayList<>(), fragments, variables == null ? Map.of() : variables);
        parsed.collectFields(operation.get().getSelectionSet(), parsed.topLevelFields, 0);
        return Optional.of(parsed);
    }

    List<String> fieldNames() {
        return topLevelFields.stream().map(Field::getName).distinct().toList();
    }

    /**
     * Estimated cost of one top-level field before executing it: 1 + the objects it may return, where a
     * {@code first}/{@code last} argument multiplies everything below it. ShipHero likewise estimates from the
     * requested maximum and then charges what it actually returned.
     */
    long estimatedCost(String fieldName) {
        long cost = 1;
        for (Field field : topLevelFields) {
            if (field.getName().equals(fieldName)) {
                cost += objects(field, 1);
            }
        }
        return cost;
    }

    private long objects(Field field, long multiplier) {
        if (field.getSelectionSet() == null) {
            return 0;
        }
        long childMultiplier = multiplier * pageSize(field);
        List<Field> children = new ArrayList<>();
        collectFields(field.getSelectionSet(), children, 0);
        long total = multiplier;
        for (Field child : children) {
            total += objects(child, childMultiplier);
            if (total > 1_000_000) {
                return total;
            }
        }
        return total;
    }

    private long pageSize(Field field) {
        for (Argument argument : field.getArguments()) {
            if (argument.getName().equals("first") || argument.getName().equals("last")) {
                Object value = valueOf(argument.getValue());
                if (value instanceof Number number) {
                    return Math.max(1, number.longValue());
                }
            }
        }
        return 1;
    }

    private Object valueOf(Value<?> value) {
        if (value instanceof IntValue intValue) {
            return intValue.getValue();
        }
        if (value instanceof VariableReference reference) {
            return variables.get(reference.getName());
        }
        return null;
    }

    private void collectFields(SelectionSet selectionSet, List<Field> into, int depth) {
        if (selectionSet == null || depth > 20) {
            return;
        }
        for (Selection<?> selection : selectionSet.getSelections()) {
            if (selection instanceof Field field) {
                into.add(field);
            } else if (selection instanceof InlineFragment inline) {
                collectFields(inline.getSelectionSet(), into, depth + 1);
            } else if (selection instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
                collectFields(fragments.get(spread.getName()).getSelectionSet(), into, depth + 1);
            }
        }
    }
}
