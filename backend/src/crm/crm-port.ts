// The CRM port: what the conversation's tools and the agent app need from a CRM.
// The embedded SQLite adapter implements it; REST CRMs (Salesforce, HubSpot...) can later.
import type { Callback, CrmDataset, Customer, KnowledgeArticle, Order, Ticket } from '../../../contracts/crm';

export interface NewTicket {
  customerId: string;
  subject: string;
}

export interface NewCallback {
  customerId: string | null;
  sessionId: string | null;
  phone: string;
  reason: string;
  dueAt?: string | null;
}

export type CustomerMatchField = 'phone' | 'email' | 'name' | 'order';

export interface Crm {
  findCustomerByPhone(phone: string): Promise<Customer | undefined>;
  /**
   * An agent's search on a live call: by order id, email, phone (or its last digits) or part of
   * the name, at most `limit` customers. What may be shown of them is the caller's policy.
   */
  searchCustomers(query: string, limit: number): Promise<Array<{ customer: Customer; matchedOn: CustomerMatchField }>>;
  getCustomer(id: string): Promise<Customer | undefined>;
  listOrders(customerId: string): Promise<Order[]>;
  getOrder(orderId: string): Promise<Order | undefined>;
  listTickets(customerId: string): Promise<Ticket[]>;
  createTicket(ticket: NewTicket): Promise<Ticket>;
  scheduleCallback(callback: NewCallback): Promise<Callback>;
  listCallbacks(): Promise<Callback[]>;
  appendCustomerNote(customerId: string, note: string): Promise<void>;
  /** Articles kept in the store (added through the app), beside the shipped markdown ones. */
  listStoredArticles(): Promise<KnowledgeArticle[]>;
  /** Replaces every CRM record with this dataset (fixtures, demo seed). */
  importDataset(dataset: CrmDataset, articles?: KnowledgeArticle[]): Promise<void>;
  isEmpty(): Promise<boolean>;
  /**
   * The names of the items the store has sold (its order lines, distinct): the knowledge base
   * reads their words as product names, so "can I send back a paddle" finds the return policy.
   * Names only, never whose orders they were.
   */
  listProductNames(): Promise<string[]>;
}
