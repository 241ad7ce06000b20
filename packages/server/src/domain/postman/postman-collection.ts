/**
 * The parts of the Postman Collection v2.1 format we write
 * (https://schema.getpostman.com/json/collection/v2.1.0/collection.json).
 */
export const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

export interface PostmanVariable {
  readonly key: string;
  readonly value: string;
  readonly type: 'string';
  readonly description?: string;
}

export interface PostmanAuth {
  readonly type: 'basic' | 'bearer';
  readonly basic?: readonly PostmanVariable[];
  readonly bearer?: readonly PostmanVariable[];
}

export interface PostmanEvent {
  readonly listen: 'prerequest' | 'test';
  readonly script: { readonly type: 'text/javascript'; readonly exec: readonly string[] };
}

export interface PostmanRequest {
  readonly method: 'GET' | 'POST';
  readonly header: readonly { readonly key: string; readonly value: string }[];
  readonly url: string;
  readonly auth?: PostmanAuth;
  readonly body?: {
    readonly mode: 'urlencoded';
    readonly urlencoded: readonly { readonly key: string; readonly value: string; readonly type: 'text' }[];
  };
  readonly description?: string;
}

export interface PostmanItem {
  readonly name: string;
  readonly request: PostmanRequest;
  readonly event?: readonly PostmanEvent[];
}

export interface PostmanCollection {
  readonly info: { readonly _postman_id: string; readonly name: string; readonly description: string; readonly schema: typeof POSTMAN_SCHEMA };
  readonly auth: PostmanAuth;
  readonly event: readonly PostmanEvent[];
  readonly variable: readonly PostmanVariable[];
  readonly item: readonly PostmanItem[];
}
