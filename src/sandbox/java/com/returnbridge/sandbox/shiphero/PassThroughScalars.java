package com.returnbridge.sandbox.shiphero;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.EnumValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.Coercing;
import graphql.schema.GraphQLScalarType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ShipHero's custom scalars. The sandbox stores and prints date-times as strings already in ShipHero's format, so
 * values pass through; GenericScalar accepts any JSON-like literal.
 */
final class PassThroughScalars {

    private PassThroughScalars() {
    }

    static List<GraphQLScalarType> all() {
        return List.of(scalar("ISODateTime"), scalar("DateTime"), scalar("GenericScalar"));
    }

    private static GraphQLScalarType scalar(String name) {
        return GraphQLScalarType.newScalar().name(name).coercing(new Coercing<Object, Object>() {
            @Override
            public Object serialize(Object value, GraphQLContext context, Locale locale) {
                return value;
            }

            @Override
            public Object parseValue(Object input, GraphQLContext context, Locale locale) {
                return input;
            }

            @Override
            public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                    Locale locale) {
                return literal(input, variables);
            }
        }).build();
    }

    private static Object literal(Value<?> value, CoercedVariables variables) {
        if (value instanceof StringValue v) {
            return v.getValue();
        }
        if (value instanceof IntValue v) {
            return v.getValue();
        }
        if (value instanceof FloatValue v) {
            return v.getValue();
        }
        if (value instanceof BooleanValue v) {
            return v.isValue();
        }
        if (value instanceof EnumValue v) {
            return v.getName();
        }
        if (value instanceof VariableReference v) {
            return variables.get(v.getName());
        }
        if (value instanceof ArrayValue v) {
            return v.getValues().stream().map(item -> literal(item, variables)).toList();
        }
        if (value instanceof ObjectValue v) {
            Map<String, Object> map = new LinkedHashMap<>();
            v.getObjectFields().forEach(f -> map.put(f.getName(), literal(f.getValue(), variables)));
            return map;
        }
        return null;
    }
}
