// The $validate operation: validates a posted resource (bare, or inside Parameters.resource) and
// answers 200 with an OperationOutcome listing every problem — or one "no problems" message.
import { badRequest, operationOutcome } from '../errors.ts';
import type { AccessContext, Resource } from '../store/model.ts';
import type { Route } from './route.ts';
import type { InteractionResult, Services } from './services.ts';

function resourceOf(body: unknown): Resource {
  const value = body as Resource | undefined;
  if (typeof value !== 'object' || value === null || typeof value.resourceType !== 'string') {
    throw badRequest('$validate needs a resource, or Parameters with a "resource" parameter');
  }
  if (value.resourceType !== 'Parameters') return value;
  const parameter = (value.parameter as { name?: string; resource?: Resource }[] | undefined)?.find(
    (p) => p.name === 'resource',
  );
  if (!parameter?.resource) throw badRequest('Parameters for $validate has no "resource" parameter');
  return parameter.resource;
}

export async function validateOperation(
  services: Services,
  _ctx: AccessContext,
  route: Extract<Route, { kind: 'type-operation' | 'instance-operation' }>,
  body: unknown,
): Promise<InteractionResult> {
  const resource = resourceOf(body);
  if (resource.resourceType !== route.type) {
    throw badRequest(`$validate on ${route.type} received a ${resource.resourceType}`);
  }
  if (route.kind === 'instance-operation' && resource.id !== route.id) {
    throw badRequest(`the resource id "${String(resource.id)}" differs from the URL id "${route.id}"`);
  }
  const { structural, business } = await services.validator.validate(resource);
  const issues = [...structural, ...business];
  return {
    status: 200,
    resource: operationOutcome(issues),
  };
}
