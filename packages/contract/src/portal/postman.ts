import { Type } from 'typebox';

export const PostmanParams = Type.Object({
  acronym: Type.String({ minLength: 1, maxLength: 64, description: 'the application acronym (any case)' }),
  env: Type.String({ minLength: 1, maxLength: 64, description: 'an environment the application has registered' }),
});

// The collection is a document in a format of its own (Postman v2.1), described by its schema URL, not
// by ours: the response schema only says it is an object.
export const PostmanCollectionJson = Type.Object({}, { title: 'PostmanCollection', additionalProperties: true, description: 'Postman Collection v2.1 (https://schema.getpostman.com/json/collection/v2.1.0/collection.json)' });
