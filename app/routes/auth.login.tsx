import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";

import { login } from "~/shopify.server";

const messages: Record<string, string> = {
  [LoginErrorType.MissingShop]: "Please enter your shop domain to log in",
  [LoginErrorType.InvalidShop]: "Please enter a valid shop domain to log in",
};

const loginErrors = (errors: { shop?: LoginErrorType }) => (errors.shop ? messages[errors.shop] : undefined);

export const loader = async ({ request }: LoaderFunctionArgs) => ({ error: loginErrors(await login(request)) });
export const action = async ({ request }: ActionFunctionArgs) => ({ error: loginErrors(await login(request)) });

export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const error = actionData?.error ?? loaderData.error;
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 480, margin: "4rem auto" }}>
      <h1>Log in to Pointwise</h1>
      <Form method="post">
        <label>
          Shop domain <input type="text" name="shop" autoComplete="on" aria-invalid={Boolean(error)} />
        </label>{" "}
        <button type="submit">Log in</button>
        {error && <p role="alert">{error}</p>}
      </Form>
    </main>
  );
}
